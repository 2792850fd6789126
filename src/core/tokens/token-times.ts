/**
 * When a token's time claims fail a request, with the clock-skew tolerance the verdict used: the
 * rules (token-expired, token-not-yet-valid) and the detail's marks ask these, so the view and
 * the verdict cannot disagree. Times in ms; `skewMs` from the facts (the pinned setting).
 */

/** RFC 7519 §4.1.4: expired when exp (plus the tolerance) is not after the request. */
export function isExpiredAt(expSeconds: number, at: number, skewMs: number): boolean {
  return expSeconds * 1000 <= at - skewMs;
}

/** RFC 7519 §4.1.5: not valid yet when nbf lies beyond the request plus the tolerance. */
export function isNotYetValidAt(nbfSeconds: number, at: number, skewMs: number): boolean {
  return nbfSeconds * 1000 > at + skewMs;
}

/**
 * RFC 7519 §4.1.6: issued in the future. At least a minute of tolerance: iat is advisory and
 * issuers round it, so only a clock clearly ahead is worth saying.
 */
export function isIssuedInFutureAt(iatSeconds: number, at: number, skewMs: number): boolean {
  return iatSeconds * 1000 > at + Math.max(skewMs, 60_000);
}
