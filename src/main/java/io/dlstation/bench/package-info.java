/**
 * {@code dlstation bench}: training and inference sweeps over batch sizes and sequence lengths, the
 * largest-batch search, results files (JSON, CSV, Markdown, PNG) and the comparison with published
 * figures.
 */
package io.dlstation.bench;
