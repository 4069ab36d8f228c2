import { describe, expect, it } from "vitest";
import { runCourse } from "./course.js";

describe("the course example program", () => {
  for (const lang of ["en", "es"] as const) {
    it(`prints the worked example and trains to ≈90 % (${lang})`, () => {
      const lines: string[] = [];
      const accuracy = runCourse(lang, 5000, (l) => lines.push(l));
      const text = lines.join("\n");
      // the article's printed values
      expect(text).toContain("z1 = X·W1  = [-1.40982136  0.91005018 -0.04529517]");
      expect(text).toContain("h2 = σ(z2) = [ 0.37166596  0.45414264]");
      expect(text).toContain("dh2/dz2    = [ 0.23353037  0.24789710]");
      expect(text).toContain("[ 0.00723246  0.00546965  0.03647082]");
      expect(text).toContain("W1*        = [-0.67747178  0.37768878 -0.07368900]");
      expect(accuracy).toBeGreaterThanOrEqual(0.88);
      expect(lines.filter((l) => /^(step|paso) /.test(l)).length).toBe(11);
      expect(text).toContain(lang === "en" ? "final accuracy: " : "exactitud final: ");
    });
  }
});
