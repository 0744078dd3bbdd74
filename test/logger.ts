// A logger for the worker and the queue in tests.

/** A logger that keeps quiet in tests but remembers what it was told. */
export function recordingLogger() {
  const lines: Array<{
    level: string;
    message: string;
    details?: Record<string, unknown>;
  }> = [];
  const log = (level: string) => (message: string, details?: Record<string, unknown>) => {
    lines.push({ level, message, details });
  };
  return { lines, info: log("info"), warn: log("warn"), error: log("error") };
}
