import { InvalidArgumentError } from 'commander';
import { rangeText, wholeNumberIn, type Bound } from '../present/limits.ts';

export { BOUNDS } from '../present/limits.ts';

/** A commander argument parser for a bounded whole number (commander exits 2 with the range). */
export function boundedInt(b: Bound): (value: string) => number {
  return (value) => {
    const n = wholeNumberIn(value, b);
    if (n === null) throw new InvalidArgumentError(`expected ${rangeText(b)}.`);
    return n;
  };
}
