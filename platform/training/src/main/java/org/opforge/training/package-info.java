/**
 * Training code every operator bundle shares: the mini-batch loop ({@link org.opforge.training.SupervisedTrainer}),
 * normalizers, optimizers and schedules by name, error metrics, and the state an operator wrapper
 * keeps besides its network ({@link org.opforge.training.TrainingState}).
 *
 * <p><b>Writing an operator wrapper.</b> A {@link org.opforge.api.TrainableOperator} holds its network
 * and one {@code TrainingState}; the state owns the configuration, the seed and weight generator,
 * the normalizers, the optimizer, the epoch counter, the metrics and the checkpoint layout, so the
 * wrapper is its model plus a few dozen lines:
 * <pre>{@code
 * final class MyOperator implements TrainableOperator {
 *     private final TrainingState state;
 *     private final MyNet net;
 *     private final SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
 *         public Tensor predict(Tensor x) { return state.decodeTarget(net.forward(state.encodeInput(x))); }
 *         public void train(boolean on) { net.train(on); }
 *     };
 *
 *     static MyOperator create(Map<String, ?> given, long seed) {
 *         return new MyOperator(new TrainingState("my-op", SCHEMA.resolve(given), seed));
 *     }
 *     static MyOperator load(Checkpoint c) {
 *         MyOperator o = new MyOperator(TrainingState.restore(c, "my-op", SCHEMA));
 *         o.net.loadStateDict(c.group("model"));
 *         return o;
 *     }
 *     private MyOperator(TrainingState state) {
 *         this.state = state;
 *         this.net = new MyNet(state.config(), state.rng());   // initial weights from the seed
 *     }
 *     public Tensor apply(Tensor x) {
 *         GridFields.check(name(), DIMS, "in_channels", C, "input", x);
 *         return SupervisedTrainer.predictAll(model, x, 50);
 *     }
 *     public TrainingResult train(TrainingData data, TrainingConfig cfg, ProgressListener listener) {
 *         state.checkOptions(cfg, OPTIONS);
 *         ... check the data's layout (GridFields for fields on grids) ...
 *         state.fitNormalizers(state.config().getString("normalize"), data.inputs(), data.targets());
 *         return state.fit(model, net.namedParameters(), data, cfg, LOSS, SCHEDULER, listener);
 *     }
 *     public Checkpoint toCheckpoint() { return state.toCheckpoint(net.stateDict(), Map.of()); }
 *     public long parameterCount() { return net.parameterCount(); }
 * }
 * }</pre>
 * The schema declares the shared loop's keys ({@code p.addAll(SupervisedTrainer.configParameters())}:
 * {@code loss_reduction}, {@code validation_split}, {@code select_best}); {@code TrainingState.fit}
 * applies them from the configuration and {@code checkOptions} accepts them as options.
 * A model that trains a batch in parts (MG-TFNO's patch groups) or with its own loss (a physics
 * residual) overrides {@link org.opforge.training.SupervisedTrainer.Model#lossAndBackward} or passes its
 * {@link org.opforge.tensor.nn.loss.Loss}; a model evaluated at query points keeps them as an extra
 * checkpoint tensor ({@code toCheckpoint(model, Map.of("data/points", points))}).
 *
 * <p>Composition rather than an abstract operator base class: the wrappers differ in what they
 * evaluate (fields on grids, functions at query points, point clouds) and how they check it, while
 * the state and its checkpoint layout are the same for all of them; a base class would have to
 * guess the evaluation layout, a helper does not.
 */
package org.opforge.training;
