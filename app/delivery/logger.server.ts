// What the worker and its parts say, and to whom: the console unless a test listens.
export interface DeliveryLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

function toConsole(write: (...args: unknown[]) => void) {
  return (message: string, details?: Record<string, unknown>) =>
    details ? write(`[delivery] ${message}`, details) : write(`[delivery] ${message}`);
}

export const consoleLogger: DeliveryLogger = {
  info: toConsole(console.info),
  warn: toConsole(console.warn),
  error: toConsole(console.error),
};
