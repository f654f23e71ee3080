import { Logger as JobQueueLogger, type LogLevel } from "graphile-worker";
import type { Logger } from "../../core/logger.ts";

const LEVELS: Record<LogLevel, "error" | "warn" | "info" | "debug"> = {
  error: "error",
  warning: "warn",
  info: "info",
  debug: "debug",
};

/**
 * graphile-worker's own log lines through lexbridge's logger: one line each, in the log file as
 * JSON and on the terminal for warnings and errors. The queue writes a failed task's stack into
 * its message; only the first line is the message, the rest is kept as an object field, which
 * the log file holds and the terminal line leaves out (never a stack trace on the terminal).
 */
export function jobQueueLogger(logger: Logger): JobQueueLogger {
  return new JobQueueLogger((scope) => (level, message, meta) => {
    const [first = "", ...rest] = message.split("\n");
    const fields = {
      component: "job-queue",
      ...(scope.workerId ? { queueWorker: scope.workerId } : {}),
      ...(scope.jobId ? { job: scope.jobId } : {}),
      ...(rest.length > 0 ? { detail: { lines: rest.map((l) => l.trim()) } } : {}),
      ...(meta && Object.keys(meta).length > 0 ? { meta: { ...meta } } : {}),
    };
    logger[LEVELS[level]](fields, first.replace(/:$/, ""));
  });
}
