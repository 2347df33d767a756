package dev.moe.experts.onnx;

/** What the model's output holds: probabilities (used as they are, after a check) or logits (a softmax is applied). */
enum ScoreKind {
    PROBABILITIES("probabilities"),
    LOGITS("logits");

    private final String configName;

    ScoreKind(String configName) {
        this.configName = configName;
    }

    String configName() {
        return configName;
    }

    static ScoreKind fromConfigName(String name) {
        for (ScoreKind kind : values()) {
            if (kind.configName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown scores kind: " + name);
    }
}
