/**
 * moe as a Java library: build a mixture of experts in code, train it, predict, save and load it, and use it where
 * Tribuo expects a {@code Model<Label>} or a {@code Trainer<Label>}.
 *
 * <p>Start with {@link dev.moe.library.Mixture#builder()}: give the experts (already trained {@code Expert}s or
 * Tribuo models, Tribuo trainers, or a provider's name and parameters as in a config), then
 * {@link dev.moe.library.MixtureBuilder#train(org.tribuo.Dataset) train}. Training is the CLI's
 * ({@code moe train}) with its defaults: experts cross-fitted, calibrated, and the combiner chosen by
 * cross-validation among plain averaging, one weight per expert and a gate on the experts' confidence. Unlike
 * {@code moe train}, every row given trains: no rows are held out, so evaluate on rows of your own.
 *
 * <p>This package is the supported surface of moe-runtime for library users; the other packages are the CLI's
 * machinery and may change between versions.
 */
package dev.moe.library;
