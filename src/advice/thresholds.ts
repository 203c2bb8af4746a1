/**
 * The rule table's cut-offs as the rules read them; their names, defaults and sources are in the
 * model (`Thresholds`, `DEFAULT_THRESHOLDS`), so the config can parse overrides without reaching
 * into the advice.
 */
export { DEFAULT_THRESHOLDS, type Thresholds } from '../model.ts';
