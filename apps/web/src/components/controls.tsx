import {
  DATASET_NAMES,
  datasetInfo,
  HIDDEN_ACTIVATIONS,
  INIT_SCHEMES,
  normalizeOptimizer,
  normalizeSchedule,
  OPTIMIZER_NAMES,
  PRESETS,
  SCHEDULE_NAMES,
  type DatasetName,
  type HiddenActivation,
  type InitScheme,
  type OptimizerConfig,
  type OptimizerName,
  type Schedule,
  type ScheduleName,
} from "@backprop-lab/core";
import { presetText } from "@backprop-lab/i18n";
import type { RunConfig } from "../state/document.js";
import { useState, type ReactElement, type ReactNode } from "react";
import { datasetLabel, formatNumber, formatValue, optionLabel, type Translate } from "../i18n.js";
import { localizeText } from "../labels.js";
import { clipOptions, learningRateOptions, regularizationRateOptions } from "../menus.js";
import { cloneConfig, type AppState, type ClipSetting, type Hideable, type Locale } from "../state/app-state.js";

interface SelectProps<T extends string | number> {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(value: T): void;
  testId: string;
  /** The label of a value that is none of the options (a lab's or link's own setting). */
  format?: (value: T) => string;
}

export function Select<T extends string | number>({ label, value, options, onChange, testId, format }: SelectProps<T>): ReactElement {
  const index = options.findIndex((o) => o.value === value);
  return (
    <label className="control">
      <span>{label}</span>
      <select
        data-testid={testId}
        value={index < 0 ? "custom" : String(index)}
        onChange={(e) => {
          const o = options[Number(e.target.value)];
          if (o) onChange(o.value);
        }}
      >
        {index < 0 ? <option value="custom">{format ? format(value) : String(value)}</option> : null}
        {options.map((o, i) => (
          <option key={String(o.value)} value={String(i)}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const SCHEDULE_DEFAULTS: Record<ScheduleName, Schedule> = {
  constant: { kind: "constant" },
  step: { kind: "step", every: 1000, factor: 0.5 },
  exponential: { kind: "exponential", decayRate: 0.5, decaySteps: 2000 },
  "inverse-time": { kind: "inverse-time", decayRate: 1, decaySteps: 1000 },
  cosine: { kind: "cosine", totalSteps: 5000 },
  linear: { kind: "linear", totalSteps: 5000, endLearningRate: 0.001 },
};


interface TrainingProps {
  state: AppState;
  t: Translate;
  locale: Locale;
  onConfig(config: RunConfig): void;
  onClip(clip: ClipSetting | null): void;
  onGuard(guard: boolean): void;
  /** Controls a classroom link hides: not rendered. */
  hide?: readonly Hideable[];
}

/** The Playground's top row (learning rate, activation, regularization) and what it lacks: optimizer, schedule, clipping. */
export function TrainingControls({ state, t, locale, onConfig, onClip, onGuard, hide = [] }: TrainingProps): ReactElement {
  const c = state.config;
  const shown = (h: Hideable) => !hide.includes(h);
  const set = (edit: (c: RunConfig) => void) => {
    const next = cloneConfig(c);
    edit(next);
    onConfig(next);
  };
  const activation = Array.isArray(c.network.activation) ? c.network.activation[0]! : c.network.activation;
  return (
    <div className="training-controls">
      {shown("learningRate") ? (
        <Select
          label={t("learningRate")}
          testId="learning-rate"
          value={c.training.learningRate}
          options={learningRateOptions(locale)}
          format={(v) => formatValue(locale, v)}
          onChange={(v) => set((n) => (n.training.learningRate = v))}
        />
      ) : null}
      {shown("activation") ? (
        <Select
          label={t("activation")}
          testId="activation"
          value={activation}
          options={HIDDEN_ACTIVATIONS.map((a) => ({ value: a, label: optionLabel(locale, a) }))}
          onChange={(v: HiddenActivation) => set((n) => (n.network.activation = v))}
        />
      ) : null}
      {shown("regularization") ? (
        <Select
          label={t("regularization")}
          testId="regularization"
          value={c.training.regularization.kind === "l2" && c.training.regularization.gradient === "course-bug" ? "course-bug" : c.training.regularization.kind}
          options={(["none", "l1", "l2", "course-bug"] as const).map((k) => ({ value: k, label: optionLabel(locale, k) }))}
          onChange={(v) =>
            set((n) => {
              const lambda = n.training.regularization.lambda || 0.001;
              n.training.regularization = v === "none" ? { kind: "none", lambda: 0 } : v === "course-bug" ? { kind: "l2", lambda, gradient: "course-bug" } : { kind: v, lambda };
            })
          }
        />
      ) : null}
      {shown("regularization") && c.training.regularization.gradient === "course-bug" ? (
        <p className="hint reg-bug" data-testid="reg-bug-hint">
          {t("regL2BugHint")}
        </p>
      ) : null}
      {shown("regularizationRate") ? (
        <Select
          label={t("regularizationRate")}
          testId="regularization-rate"
          value={c.training.regularization.lambda}
          options={regularizationRateOptions(locale)}
          format={(v) => formatValue(locale, v)}
          onChange={(v) => set((n) => (n.training.regularization = { ...n.training.regularization, lambda: v }))}
        />
      ) : null}
      {shown("optimizer") ? (
        <>
          <Select
            label={t("optimizer")}
            testId="optimizer"
            value={c.training.optimizer.kind}
            options={OPTIMIZER_NAMES.map((k) => ({ value: k, label: optionLabel(locale, k) }))}
            onChange={(v) => set((n) => (n.training.optimizer = optimizerDefaults(v)))}
          />
          <OptimizerParams optimizer={c.training.optimizer} t={t} locale={locale} onChange={(optimizer) => set((n) => (n.training.optimizer = optimizer))} />
        </>
      ) : null}
      {shown("schedule") ? (
        <>
          <Select
            label={t("schedule")}
            testId="schedule"
            value={c.training.schedule.kind}
            options={SCHEDULE_NAMES.map((k) => ({ value: k, label: optionLabel(locale, k === "linear" ? "linearSchedule" : k) }))}
            onChange={(v: ScheduleName) => set((n) => (n.training.schedule = SCHEDULE_DEFAULTS[v]))}
          />
          <ScheduleParams schedule={c.training.schedule} t={t} onChange={(schedule) => set((n) => (n.training.schedule = schedule))} />
        </>
      ) : null}
      {shown("clipping") ? (
        <Select
          label={t("clipping")}
          testId="clipping"
          value={state.clip?.maxNorm ?? 0}
          options={clipOptions(locale, t)}
          format={(v) => `‖g‖ ≤ ${formatValue(locale, v)}`}
          onChange={(v) => onClip(v === 0 ? null : { maxNorm: v })}
        />
      ) : null}
      {shown("guard") ? (
        <label className="control check">
          <input type="checkbox" checked={state.guard !== null} onChange={(e) => onGuard(e.target.checked)} data-testid="guard" />
          <span>{t("guard")}</span>
        </label>
      ) : null}
    </div>
  );
}

/** Core's defaults for an optimizer, every parameter spelled out (momentum 0.9; Adam β₁ 0.9, β₂ 0.999, ε 1e−8). */
export function optimizerDefaults(kind: OptimizerName): OptimizerConfig {
  const o = normalizeOptimizer({ kind });
  if (o.kind === "sgd") return { kind: "sgd" };
  if (o.kind === "momentum") return { kind: "momentum", momentum: o.momentum, nesterov: o.nesterov };
  return { kind: "adam", beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon };
}

/** An optimizer's numeric parameters and the ranges core accepts: lo ≤ x < hi. */
const OPTIMIZER_FIELDS = {
  momentum: [{ key: "momentum", lo: 0, hi: 1 }],
  adam: [
    { key: "beta1", lo: 0, hi: 1 },
    { key: "beta2", lo: 0, hi: 1 },
    { key: "epsilon", lo: 0, hi: Infinity },
  ],
  sgd: [],
} as const satisfies Record<OptimizerName, readonly { key: string; lo: number; hi: number }[]>;

/**
 * The chosen optimizer's parameters, each in a small field, applied on blur
 * or Enter like the schedule's. Core validates them; a bad value is not
 * applied, the field goes back to the value in force, and a message names
 * the field and the range it must be in.
 */
function OptimizerParams({ optimizer, t, locale, onChange }: { optimizer: OptimizerConfig; t: Translate; locale: Locale; onChange(o: OptimizerConfig): void }): ReactElement | null {
  const [problem, setProblem] = useState<string | null>(null);
  const full = { ...normalizeOptimizer(optimizer) } as Record<string, number | boolean | string>;
  const fields = OPTIMIZER_FIELDS[optimizer.kind];
  if (optimizer.kind === "sgd") return null;
  const apply = (key: string, value: number | boolean): boolean => {
    const next = { ...optimizerDefaults(optimizer.kind), ...optimizer, [key]: value } as OptimizerConfig;
    try {
      normalizeOptimizer(next);
    } catch {
      return false;
    }
    setProblem(null);
    onChange(next);
    return true;
  };
  const range = (lo: number, hi: number) => `${formatNumber(locale, lo, 0)} ≤ x${hi === Infinity ? "" : ` < ${formatNumber(locale, hi, 0)}`}`;
  return (
    <>
      {fields.map(({ key, lo, hi }) => {
        const current = full[key] as number;
        return (
          <label key={key} className="control">
            <span>{t(`opt_${key}`)}</span>
            <input
              className="number"
              type="number"
              step="any"
              min={lo}
              max={hi === Infinity ? undefined : hi}
              data-testid={`optimizer-${key}`}
              defaultValue={String(current)}
              key={`${optimizer.kind}:${key}:${current}`}
              onBlur={(e) => {
                const text = e.target.value.trim();
                const v = text === "" ? Number.NaN : Number(text);
                if (!apply(key, v)) {
                  setProblem(`${t(`opt_${key}`)}: ${text === "" ? "—" : text} ${t("notAllowed")} ${range(lo, hi)}`);
                  e.target.value = String(current);
                }
              }}
              onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
            />
          </label>
        );
      })}
      {optimizer.kind === "momentum" ? (
        <label className="control check">
          <input type="checkbox" checked={full.nesterov === true} onChange={(e) => apply("nesterov", e.target.checked)} data-testid="optimizer-nesterov" />
          <span>{t("opt_nesterov")}</span>
        </label>
      ) : null}
      {problem !== null ? (
        <p className="field-error" role="alert" data-testid="optimizer-error">
          {problem}
        </p>
      ) : null}
    </>
  );
}

const SCHEDULE_FIELDS = ["every", "factor", "decayRate", "decaySteps", "totalSteps", "minLearningRate", "endLearningRate"] as const;

/** The numbers of a non-constant schedule, each in a small field; core validates them (bad input is not applied). */
function ScheduleParams({ schedule, t, onChange }: { schedule: Schedule; t: Translate; onChange(s: Schedule): void }): ReactElement | null {
  const fields = SCHEDULE_FIELDS.filter((f) => f in schedule);
  if (fields.length === 0) return null;
  return (
    <>
      {fields.map((f) => (
        <label key={f} className="control">
          <span>{t(`schedule_${f}`)}</span>
          <input
            className="number"
            type="number"
            step="any"
            min={0}
            data-testid={`schedule-${f}`}
            defaultValue={String((schedule as unknown as Record<string, number>)[f])}
            key={`${schedule.kind}:${f}:${(schedule as unknown as Record<string, number>)[f]}`}
            onBlur={(e) => {
              const v = Number(e.target.value);
              const next = { ...schedule, [f]: v } as Schedule;
              try {
                normalizeSchedule(next);
                onChange(next);
              } catch {
                e.target.value = String((schedule as unknown as Record<string, number>)[f]);
              }
            }}
            onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
          />
        </label>
      ))}
    </>
  );
}

interface NetworkOptionProps {
  config: RunConfig;
  t: Translate;
  locale: Locale;
  onConfig(config: RunConfig): void;
}

/** Output activation, loss, initialization and biases. */
export function NetworkOptions({ config, t, locale, onConfig }: NetworkOptionProps): ReactElement {
  const set = (edit: (c: RunConfig) => void) => {
    const next = cloneConfig(config);
    edit(next);
    onConfig(next);
  };
  return (
    <div className="network-options">
      <Select
        label={t("init")}
        testId="init"
        value={config.init.scheme}
        options={INIT_SCHEMES.map((k) => ({ value: k, label: optionLabel(locale, k) }))}
        onChange={(v: InitScheme) => set((n) => (n.init = { ...n.init, scheme: v }))}
      />
      <label className="control check">
        <input type="checkbox" checked={config.network.bias} onChange={(e) => set((n) => (n.network.bias = e.target.checked))} data-testid="bias" />
        <span>{t("bias")}</span>
      </label>
      <span className="hint">
        {t("output")}: {optionLabel(locale, config.network.output)} · {t("loss")}: {optionLabel(locale, config.training.loss)}
      </span>
    </div>
  );
}

interface DataProps {
  config: RunConfig;
  t: Translate;
  locale: Locale;
  onDataset(name: DatasetName): void;
  onConfig(config: RunConfig): void;
  onRegenerate(): void;
  children?: ReactNode;
  /** Controls a classroom link hides: not rendered. */
  hide?: readonly Hideable[];
}

const BATCH_SIZES = [1, 2, 5, 10, 20, 30, 50, 100] as const;

/** Data set choice, train/test ratio, noise, batch size, regenerate: the Playground's left column. */
export function DataControls({ config, t, locale, onDataset, onConfig, onRegenerate, children, hide = [] }: DataProps): ReactElement {
  const d = config.data;
  const shown = (h: Hideable) => !hide.includes(h);
  const set = (edit: (c: RunConfig) => void) => {
    const next = cloneConfig(config);
    edit(next);
    onConfig(next);
  };
  const ratio = 1 - (d.testRatio ?? 0);
  const noise = d.source === "generated" ? (d.noise ?? 0) : 0;
  const batch = config.training.batchSize;
  return (
    <div className="data-controls">
      <h2>{t("data")}</h2>
      {shown("dataset") ? (
        <>
          <p className="hint">{t("dataset")}</p>
          <div className="datasets" role="radiogroup" aria-label={t("dataset")}>
            {DATASET_NAMES.map((name) => {
              const info = datasetInfo(name);
              const selected = d.source === "generated" && d.name === name;
              return (
                <button
                  key={name}
                  type="button"
                  role="radio"
                  aria-checked={selected}
                  className={`dataset ${selected ? "selected" : ""}`}
                  title={localizeText(locale, info.description[locale])}
                  data-testid={`dataset-${name}`}
                  onClick={() => onDataset(name)}
                >
                  <DatasetIcon name={name} />
                  <span>{datasetLabel(locale, name)}</span>
                </button>
              );
            })}
          </div>
        </>
      ) : null}
      {d.source === "inline" ? (
        <p className="hint" data-testid="inline-data">
          {t("inlineData")}
        </p>
      ) : null}
      {shown("ratio") ? (
        <label className="control slider">
          <span>
            {t("ratio")}: <b>{Math.round(ratio * 100)} %</b>
          </span>
          <input
            type="range"
            min={10}
            max={100}
            step={10}
            value={Math.round(ratio * 100)}
            data-testid="ratio"
            disabled={d.trainRows !== undefined}
            onChange={(e) => set((n) => (n.data.testRatio = Math.round(100 - Number(e.target.value)) / 100))}
          />
        </label>
      ) : null}
      {shown("noise") ? (
        <label className="control slider">
          <span>
            {t("noise")}: <b>{Math.round(noise * 100)}</b>
          </span>
          <input
            type="range"
            min={0}
            max={50}
            step={5}
            value={Math.round(noise * 100)}
            data-testid="noise"
            disabled={d.source !== "generated" || d.name === "course-xor"}
            onChange={(e) => set((n) => n.data.source === "generated" && (n.data.noise = Number(e.target.value) / 100))}
          />
        </label>
      ) : null}
      {shown("batchSize") ? (
        <label className="control slider">
          <span>
            {t("batchSize")}: <b data-testid="batch-value">{batch === "full" ? t("full") : batch}</b>
          </span>
          <input
            type="range"
            min={0}
            max={BATCH_SIZES.length}
            step={1}
            value={batch === "full" ? BATCH_SIZES.length : Math.max(0, BATCH_SIZES.findIndex((b) => b >= batch))}
            data-testid="batch"
            onChange={(e) => {
              const i = Number(e.target.value);
              set((n) => (n.training.batchSize = i >= BATCH_SIZES.length ? "full" : BATCH_SIZES[i]!));
            }}
          />
        </label>
      ) : null}
      {shown("regenerate") ? (
        <button type="button" className="regenerate" onClick={onRegenerate} title={t("regenerateHint")} data-testid="regenerate" disabled={d.source !== "generated" || d.name === "course-xor"}>
          {t("regenerate")}
        </button>
      ) : null}
      {children}
    </div>
  );
}

/** A tiny static picture of each built-in data set (a few characteristic dots). */
function DatasetIcon({ name }: { name: DatasetName }): ReactElement {
  const dots: [number, number, number][] = [];
  const push = (x: number, y: number, c: number) => dots.push([x, y, c]);
  for (let i = 0; i < 24; i++) {
    const a = (i / 24) * 2 * Math.PI;
    const u = ((i * 37) % 24) / 24 - 0.5;
    const v = ((i * 53) % 24) / 24 - 0.5;
    switch (name) {
      case "circle":
        push(Math.cos(a) * (i % 2 ? 0.35 : 0.8), Math.sin(a) * (i % 2 ? 0.35 : 0.8), i % 2);
        break;
      case "xor":
      case "course-xor":
        push(u * 1.8, v * 1.8, u * v > 0 ? 1 : 0);
        break;
      case "gauss":
        push((i % 2 ? 0.45 : -0.45) + u * 0.5, (i % 2 ? 0.45 : -0.45) + v * 0.5, i % 2);
        break;
      case "spiral":
      case "spiral3": {
        const arms = name === "spiral" ? 2 : 3;
        const r = ((i / arms) % 8) / 8;
        const th = r * 3.5 * Math.PI + ((i % arms) * 2 * Math.PI) / arms;
        push(Math.cos(th) * r * 0.9, Math.sin(th) * r * 0.9, i % arms);
        break;
      }
      case "moons": {
        const th = ((i % 12) / 11) * Math.PI;
        push(i % 2 ? Math.cos(th) * 0.6 - 0.3 : 0.3 - Math.cos(th) * 0.6, i % 2 ? Math.sin(th) * 0.6 - 0.1 : 0.1 - Math.sin(th) * 0.6, i % 2);
        break;
      }
      case "reg-plane":
        push(u * 1.8, v * 1.8, u + v > 0 ? 1 : 0);
        break;
      case "reg-gauss":
        push(u * 1.8, v * 1.8, Math.hypot(u - 0.2, v - 0.2) < 0.3 ? 1 : 0);
        break;
    }
  }
  const colors = ["#f59322", "#0877bd", "#59a14f"];
  return (
    <svg viewBox="-1 -1 2 2" width="36" height="36" aria-hidden="true">
      <rect x="-1" y="-1" width="2" height="2" fill="#f4f5f6" />
      {dots.map(([x, y, c], i) => (
        <circle key={i} cx={x} cy={-y} r={0.09} fill={colors[c]} />
      ))}
    </svg>
  );
}

/** A preset's title with data set names in words ("Playground: reg-plane" → "Playground: Plane (regression)") and numbers in the locale's format. */
export function presetTitle(locale: Locale, title: string): string {
  return localizeText(locale, title.replace(/: ([a-z0-9-]+)$/, (_m, name: string) => `: ${datasetLabel(locale, name)}`));
}

export function PresetPicker({ t, locale, onPreset }: { t: Translate; locale: Locale; onPreset(id: string): void }): ReactElement {
  return (
    <label className="control">
      <span>{t("preset")}</span>
      <select value="" onChange={(e) => e.target.value && onPreset(e.target.value)} data-testid="preset">
        <option value="">{t("presetChoose")}</option>
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id} title={localizeText(locale, presetText(p.id).description[locale])}>
            {presetTitle(locale, presetText(p.id).title[locale])}
          </option>
        ))}
      </select>
    </label>
  );
}
