export function build(options?: { test?: boolean }): Promise<void>;
