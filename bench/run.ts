// `npm run bench`: every benchmark in one run. Each prints its own figures;
// none asserts a target (targets are in the README and the issue notes).
const benches = [
  './hl7.ts',
  './convert.ts',
  './fhir.ts',
  './validation.ts',
  './intake.ts',
  './bundle-size.ts',
];
for (const bench of benches) {
  console.log(`\n## ${bench.replace('./', '').replace('.ts', '')}\n`);
  await import(bench);
}
