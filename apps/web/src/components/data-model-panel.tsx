import { useRef, useState, type ReactElement } from "react";
import type { Translate } from "../i18n.js";

interface Props {
  t: Translate;
  onExportData(format: "csv" | "json"): void;
  onImportData(text: string, fileName: string): void;
  onExportModel(): void;
  onImportModel(text: string): void;
  error: string | null;
}

/** Saves text as a file download. */
export function download(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function FilePick({ label, accept, testId, onText }: { label: string; accept: string; testId: string; onText(text: string, name: string): void }): ReactElement {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <label className="file-pick">
      <span>{label}</span>
      <input
        ref={ref}
        type="file"
        accept={accept}
        data-testid={testId}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          onText(await file.text(), file.name);
          if (ref.current) ref.current.value = "";
        }}
      />
    </label>
  );
}

/** Data CSV/JSON and model JSON, in and out. */
export function DataModelPanel({ t, onExportData, onImportData, onExportModel, onImportModel, error }: Props): ReactElement {
  const [pasted, setPasted] = useState("");
  return (
    <div className="data-model">
      <section>
        <h3>{t("data")}</h3>
        <p className="hint">{t("dataHint")}</p>
        <div className="buttons">
          <button type="button" onClick={() => onExportData("csv")} data-testid="export-csv">
            {t("exportData")} (CSV)
          </button>
          <button type="button" onClick={() => onExportData("json")} data-testid="export-json">
            {t("exportData")} (JSON)
          </button>
          <FilePick label={t("importData")} accept=".csv,.json,text/csv,application/json" testId="import-data" onText={onImportData} />
        </div>
      </section>
      <section>
        <h3>{t("exportModel").replace(/ JSON$/, "")}</h3>
        <p className="hint">{t("modelHint")}</p>
        <div className="buttons">
          <button type="button" onClick={onExportModel} data-testid="export-model">
            {t("exportModel")}
          </button>
          <FilePick label={t("importModel")} accept=".json,application/json" testId="import-model" onText={(text) => onImportModel(text)} />
        </div>
        <textarea value={pasted} onChange={(e) => setPasted(e.target.value)} rows={3} placeholder='{"format": "backprop-lab/mlp", …}' aria-label={t("importModel")} />
        <button type="button" disabled={pasted.trim() === ""} onClick={() => onImportModel(pasted)}>
          {t("importModel")}
        </button>
      </section>
      {error ? (
        <p className="error" role="alert" data-testid="io-error">
          {t("error")}: {error}
        </p>
      ) : null}
    </div>
  );
}
