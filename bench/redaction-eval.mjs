// Evaluates the scrub engine on a labelled PII set (default: Presidio's synthetic set v2, 1,500
// texts) in rules_only mode without known entities. Reports per gold type: recall (a gold span
// overlapped by any finding), type-correct recall, leak rate (the gold value still verbatim in the
// scrubbed text) and overall precision. Writes bench/results/redaction-eval.{json,md}.
//   node bench/redaction-eval.mjs [dataset.json]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine, MemoryMinter } from './redaction-load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const datasetPath =
  process.argv[2] ?? path.resolve(here, '../../shared/testdata/pii/presidio-synth-dataset-v2.json');
const samples = JSON.parse(readFileSync(datasetPath, 'utf8'));
const { scrub, detect } = loadEngine();

/** Which placeholder types (or Tier-1 cut) count as the right type for each gold label. */
const EXPECTED = {
  PERSON: ['PERSON'],
  ORGANIZATION: ['ORG', 'FUND'],
  GPE: ['LOC', 'ADDR'],
  STREET_ADDRESS: ['ADDR'],
  ZIP_CODE: ['ADDR'],
  CREDIT_CARD: ['CARD'],
  DATE_TIME: ['DATE'],
  PHONE_NUMBER: ['PHONE'],
  EMAIL_ADDRESS: ['EMAIL'],
  DOMAIN_NAME: ['URL'],
  IP_ADDRESS: ['IP'],
  IBAN_CODE: ['tier1:iban'],
  US_SSN: ['tier1:ssn'],
  US_DRIVER_LICENSE: ['tier1:gov_id', 'MISC'],
  AGE: ['MISC'],
  TITLE: [],
  NRP: [],
};
/** Labels this product does not hide: honorifics and job titles, nationalities/religions/politics. */
const OUT_OF_SCOPE = new Set(['TITLE', 'NRP']);
const STRUCTURED = new Set([
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'IP_ADDRESS',
]);

const perType = {};
const stat = (type) => (perType[type] ??= { gold: 0, found: 0, typed: 0, leaked: 0 });
let predicted = 0;
let predictedMatched = 0;
let verificationFailed = 0;
const leakedExamples = [];
const started = performance.now();

for (const sample of samples) {
  const text = sample.full_text;
  const minter = new MemoryMinter();
  const outcome = scrub([{ id: 's', text }], { tier1Action: 'drop' }, minter);
  const context = { issued: () => false, entities: {} };
  const { view, findings } = detect(text, context);
  const spans = findings
    .filter((finding) => finding.action !== 'keep')
    .map((finding) => ({
      start: view.starts[finding.start],
      end: view.ends[finding.end - 1],
      label:
        finding.action === 'token'
          ? finding.type
          : finding.action === 'tier1'
            ? `tier1:${finding.kind}`
            : 'bucket',
    }));
  let output;
  if (outcome.kind === 'scrubbed') output = outcome.items[0].scrubbed_text;
  else {
    verificationFailed += 1;
    output = ''; // fail closed: nothing is emitted
  }
  for (const gold of sample.spans) {
    const s = stat(gold.entity_type);
    s.gold += 1;
    const overlapping = spans.filter(
      (span) => span.start < gold.end_position && span.end > gold.start_position,
    );
    if (overlapping.length > 0) s.found += 1;
    if (overlapping.some((span) => EXPECTED[gold.entity_type]?.includes(span.label))) s.typed += 1;
    if (gold.entity_value.trim() && output.includes(gold.entity_value.trim())) {
      s.leaked += 1;
      if (leakedExamples.length < 400)
        leakedExamples.push({ type: gold.entity_type, value: gold.entity_value, text });
    }
  }
  for (const span of spans) {
    predicted += 1;
    if (sample.spans.some((gold) => span.start < gold.end_position && span.end > gold.start_position))
      predictedMatched += 1;
  }
}
const seconds = (performance.now() - started) / 1000;

// PERSON with known entities: each text's gold person names passed as known_entities.persons (the
// CRM case), scored on leaks of those names.
let knownGold = 0;
let knownFound = 0;
let knownLeaked = 0;
for (const sample of samples) {
  const persons = sample.spans
    .filter((span) => span.entity_type === 'PERSON')
    .map((span) => span.entity_value);
  if (persons.length === 0) continue;
  const outcome = scrub(
    [{ id: 's', text: sample.full_text }],
    { tier1Action: 'drop', knownEntities: { persons } },
    new MemoryMinter(),
  );
  const { view, findings } = detect(sample.full_text, { issued: () => false, entities: { persons } });
  const output = outcome.kind === 'scrubbed' ? outcome.items[0].scrubbed_text : '';
  for (const gold of sample.spans.filter((span) => span.entity_type === 'PERSON')) {
    knownGold += 1;
    if (
      findings.some(
        (f) =>
          f.action === 'token' &&
          view.starts[f.start] < gold.end_position &&
          view.ends[f.end - 1] > gold.start_position,
      )
    )
      knownFound += 1;
    if (output.includes(gold.entity_value)) knownLeaked += 1;
  }
}

const sum = (filter) =>
  Object.entries(perType)
    .filter(([type]) => filter(type))
    .reduce(
      (acc, [, s]) => ({
        gold: acc.gold + s.gold,
        found: acc.found + s.found,
        typed: acc.typed + s.typed,
        leaked: acc.leaked + s.leaked,
      }),
      { gold: 0, found: 0, typed: 0, leaked: 0 },
    );
const ratio = (a, b) => (b === 0 ? null : Number((a / b).toFixed(4)));
const inScope = sum((type) => !OUT_OF_SCOPE.has(type));
const structured = sum((type) => STRUCTURED.has(type));
const all = sum(() => true);
const result = {
  dataset: path.basename(datasetPath),
  samples: samples.length,
  mode: 'rules_only, no known entities, tier1_action drop',
  seconds: Number(seconds.toFixed(2)),
  overall_in_scope: {
    recall: ratio(inScope.found, inScope.gold),
    typed_recall: ratio(inScope.typed, inScope.gold),
    leak_rate: ratio(inScope.leaked, inScope.gold),
    gold: inScope.gold,
  },
  structured_types: {
    recall: ratio(structured.found, structured.gold),
    leak_rate: ratio(structured.leaked, structured.gold),
    gold: structured.gold,
  },
  overall_all_labels: {
    recall: ratio(all.found, all.gold),
    leak_rate: ratio(all.leaked, all.gold),
    gold: all.gold,
  },
  person_with_known_entities: {
    recall: ratio(knownFound, knownGold),
    leak_rate: ratio(knownLeaked, knownGold),
    gold: knownGold,
  },
  precision: ratio(predictedMatched, predicted),
  predicted_spans: predicted,
  verification_failed_items: verificationFailed,
  per_type: Object.fromEntries(
    Object.entries(perType)
      .sort((a, b) => b[1].gold - a[1].gold)
      .map(([type, s]) => [
        type,
        {
          gold: s.gold,
          recall: ratio(s.found, s.gold),
          typed_recall: ratio(s.typed, s.gold),
          leak_rate: ratio(s.leaked, s.gold),
          structured: STRUCTURED.has(type),
          in_scope: !OUT_OF_SCOPE.has(type),
        },
      ]),
  ),
};

mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'redaction-eval.json'), `${JSON.stringify(result, null, 2)}\n`);
const rows = Object.entries(result.per_type).map(
  ([type, s]) =>
    `| ${type}${s.in_scope ? '' : ' (not hidden)'} | ${s.gold} | ${s.recall} | ${s.typed_recall} | ${s.leak_rate} |`,
);
const md = `# Redaction engine evaluation

Data: \`${result.dataset}\` (${result.samples} labelled texts, Presidio's synthetic set v2, used as a developer-visible dev set; no list or rule was harvested from it).
Mode: ${result.mode}. Run: \`node bench/redaction-eval.mjs\` (${result.seconds} s).

- **Recall** = share of gold spans overlapped by any finding (any type); **typed recall** = overlapped by a finding of the expected type; **leak rate** = share of gold values still verbatim in the scrubbed text (items that failed closed emit nothing).
- Overall, labels the product hides (all but TITLE and NRP): recall **${result.overall_in_scope.recall}**, typed recall ${result.overall_in_scope.typed_recall}, leak rate **${result.overall_in_scope.leak_rate}** (${result.overall_in_scope.gold} gold spans).
- Checksummed/structured types (cards, IBAN, SSN, e-mails, phones, IPs): recall ${result.structured_types.recall}, leak rate **${result.structured_types.leak_rate}** (${result.structured_types.gold} gold spans).
- Overall, all 17 labels: recall ${result.overall_all_labels.recall}, leak rate ${result.overall_all_labels.leak_rate}.
- PERSON with the gold names passed as \`known_entities.persons\`: recall ${result.person_with_known_entities.recall}, leak rate ${result.person_with_known_entities.leak_rate}.
- Precision (findings overlapping any gold span): ${result.precision} of ${result.predicted_spans} findings. Items that failed verification (closed): ${result.verification_failed_items}.
- Presidio's published figures on this set: recall 0.603 (default) / 0.839 (tuned transformer), precision 0.685 / 0.870.

| gold type | spans | recall | typed recall | leak rate |
|---|---|---|---|---|
${rows.join('\n')}
`;
writeFileSync(path.join(here, 'results', 'redaction-eval.md'), md);
console.log(md);
if (process.env.SHOW_LEAKS)
  for (const leak of leakedExamples
    .filter((l) => l.type === process.env.SHOW_LEAKS || process.env.SHOW_LEAKS === 'all')
    .slice(0, 60))
    console.log(leak.type, JSON.stringify(leak.value), '<<', JSON.stringify(leak.text.slice(0, 160)));
