export function chromiumPath(): string | undefined;
export function firefoxPath(): string | undefined;
