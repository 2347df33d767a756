/**
 * moe as a Java library: build a mixture of experts in code, train it, predict, save and load it, and use it where
 * Tribuo expects a {@code Model<Label>} or a {@code Trainer<Label>}.
 *
 * <p>Start with {@link dev.moe.library.Mixture#builder()}: give the experts (already trained {@code Expert}s or
 * Tribuo models, Tribuo trainers, or a provider's name and parameters as in a config), then
 * {@link dev.moe.library.MixtureBuilder#train(org.tribuo.Dataset) train} on a Tribuo data set, or
 * {@link dev.moe.library.MixtureBuilder#train(java.nio.file.Path, String) train} on a CSV file, whose categorical
 * columns ({@link dev.moe.library.MixtureBuilder#categorical}) the mixture encodes one-hot and records, so that
 * {@link dev.moe.library.Mixture#predictRows} takes rows as they are (column name to cell). Training is the CLI's
 * ({@code moe train}) with its defaults: experts cross-fitted, calibrated, and the combiner chosen by
 * cross-validation between plain averaging and the experts' weighted product (averaging only where its log-loss is
 * clearly lower). Unlike {@code moe train}, every row given trains: no rows are held out, so evaluate on rows of your
 * own.
 *
 * <p>Threads: a {@link dev.moe.library.Mixture} is immutable and may be shared for concurrent predictions; a
 * {@link dev.moe.library.MixtureBuilder} is not thread-safe: describe and train a mixture from one thread. Features
 * are finite numbers in the units the experts were trained on, matched to the experts by name; a mixture converts
 * no units.
 *
 * <p>Errors a caller can cause (a missing file or column, a bad cell, a bundle that is corrupt or needs a plugin) are
 * {@link dev.moe.runtime.MoeException}s, unchecked, each with a one-line message naming the file, row or column.
 *
 * <p>This package is the supported surface of moe-runtime for library users; the other packages are the CLI's
 * machinery and may change between versions.
 */
package dev.moe.library;
