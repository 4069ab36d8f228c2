#!/usr/bin/env node
import { main } from "./cli.js";

// React's development build checks every render; the dashboard runs the production one unless told otherwise
process.env.NODE_ENV ??= "production";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
