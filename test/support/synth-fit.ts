// The generator lives in src/ so that `kneecheck demo` can use it; tests and the benchmark import it from here.
export * from '../../src/demo/synth-fit.ts';
