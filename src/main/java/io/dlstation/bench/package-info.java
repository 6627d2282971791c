/**
 * {@code dlstation bench}: training and inference sweeps over batch sizes and sequence lengths, the
 * largest-batch search, results files (JSON, CSV, Markdown, PNG) and the comparison with published
 * figures.
 *
 * <p>The door: {@link io.dlstation.bench.BenchRun} runs a sweep of {@link
 * io.dlstation.bench.BenchSettings} into a {@link io.dlstation.bench.BenchReport}, {@link
 * io.dlstation.bench.SummaryTable} prints it and {@link io.dlstation.bench.Comparison} is {@code bench
 * compare}. BenchModel, PointSpec, BenchPoint, ResultsWriter and ReferenceTable are public as the
 * parts of a request and a report that the CLI names.
 */
package io.dlstation.bench;
