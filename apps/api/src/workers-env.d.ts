// Types for the workerd test suite only (tsconfig.workers.json): ctx.exports of the Worker entry.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./worker.js");
  }
}
