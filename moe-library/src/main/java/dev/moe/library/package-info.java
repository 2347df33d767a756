/**
 * moe as a Java library: build a mixture of experts in code, train it, predict, save and load it, and use it where
 * Tribuo expects a {@code Model<Label>} or a {@code Trainer<Label>}.
 *
 * <p>Start with {@link dev.moe.library.Mixture#builder()}: give the experts (already trained {@code Expert}s or
 * Tribuo models, Tribuo trainers, or a provider's name and parameters as in a config), then
 * {@link dev.moe.library.MixtureBuilder#train(org.tribuo.Dataset) train}. Training is the CLI's
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
 * <p>This package is the supported surface of moe-runtime for library users; the other packages are the CLI's
 * machinery and may change between versions.
 */
package dev.moe.library;
