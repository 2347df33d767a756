package dev.moe.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {

    private static final List<ParameterSpec> DECLARED = List.of(
            ParameterSpec.of("epochs", ParameterSpec.Type.INTEGER, "500", "passes"),
            ParameterSpec.of("learning-rate", ParameterSpec.Type.NUMBER, "0.001", "Adam's step"),
            ParameterSpec.of("hidden", ParameterSpec.Type.INTEGER_LIST, "[32]", "layer sizes"),
            ParameterSpec.of("standardise", ParameterSpec.Type.BOOLEAN, null, "scale features"),
            ParameterSpec.of("model", ParameterSpec.Type.PATH, null, "file to load"));

    private static Parameters params(Map<String, ?> values) {
        return new Parameters("experts[mlp].params", values);
    }

    @Test
    void declaredKeysOfTheRightTypePass() {
        Parameters p = params(Map.of("epochs", 10, "learning-rate", 0.5, "hidden", List.of(8, 4), "standardise", true,
                "model", "m.bin"));
        assertEquals(p, p.checkDeclared(DECLARED));
        // A whole number is a valid real, and a single integer a one-element list.
        params(Map.of("learning-rate", 1, "hidden", 16)).checkDeclared(DECLARED);
    }

    @Test
    void anUnknownKeyIsNamedWithWhereItSitsAndTheKnownOnes() {
        ParameterException e = assertThrows(ParameterException.class, () -> params(Map.of("epoch", 10)).checkDeclared(DECLARED));
        assertEquals("experts[mlp].params.epoch: unknown key (did you mean 'epochs'?); known keys: epochs, hidden,"
                + " learning-rate, model, standardise", e.getMessage());
        assertEquals("experts[mlp].params.colour: unknown key; known keys: epochs, hidden, learning-rate, model, standardise",
                assertThrows(ParameterException.class, () -> params(Map.of("colour", 1)).checkDeclared(DECLARED)).getMessage());
    }

    @Test
    void aWrongTypeIsNamedWithItsKey() {
        assertEquals("experts[mlp].params.epochs: expected an integer, got 'ten'", assertThrows(ParameterException.class,
                () -> params(Map.of("epochs", "ten")).checkDeclared(DECLARED)).getMessage());
        assertEquals("experts[mlp].params.standardise: expected true or false, got 'yes'", assertThrows(ParameterException.class,
                () -> params(Map.of("standardise", "yes")).checkDeclared(DECLARED)).getMessage());
        assertThrows(ParameterException.class, () -> params(Map.of("hidden", List.of("a"))).checkDeclared(DECLARED));
        assertThrows(ParameterException.class, () -> params(Map.of("model", List.of("a"))).checkDeclared(DECLARED));
    }

    @Test
    void nothingDeclaredChecksNothing() {
        params(Map.of("anything", "goes")).checkDeclared(List.of());
    }

    @Test
    void aDeclaredChoiceRefusesOtherValuesWithTheNearestAndAllOfThem() {
        List<ParameterSpec> declared = List.of(ParameterSpec.choice("impurity", "gini", "split criterion", "gini", "entropy"));
        assertEquals(List.of("gini", "entropy"), declared.get(0).choices());
        params(Map.of("impurity", "entropy")).checkDeclared(declared);
        assertEquals("experts[mlp].params.impurity: unknown value 'gni' (did you mean 'gini'?); one of: gini, entropy",
                assertThrows(ParameterException.class, () -> params(Map.of("impurity", "gni")).checkDeclared(declared)).getMessage());
        assertEquals("experts[mlp].params.impurity: unknown value 'Gini-index-x'; one of: gini, entropy",
                assertThrows(ParameterException.class, () -> params(Map.of("impurity", "Gini-index-x")).checkDeclared(declared))
                        .getMessage());
        // The getters: the value, or the default when absent (the declared one, written once).
        assertEquals("entropy", params(Map.of("impurity", "entropy")).choice("impurity", "gini", List.of("gini", "entropy")));
        assertEquals("gini", params(Map.of()).choice("impurity", "gini", List.of("gini", "entropy")));
        assertEquals("gini", params(Map.of()).choice(declared.get(0)));
        assertEquals("entropy", params(Map.of("impurity", "entropy")).choice(declared.get(0)));
        assertThrows(ParameterException.class, () -> params(Map.of("impurity", "gni")).choice(declared.get(0)));
    }

    @Test
    void choicesAreForStringsAndTheSpi10FormHasNone() {
        assertEquals(List.of(), new ParameterSpec("k", ParameterSpec.Type.INTEGER, "5", "neighbours").choices());
        assertEquals(List.of(), ParameterSpec.of("k", ParameterSpec.Type.INTEGER, "5", "neighbours").choices());
        assertThrows(IllegalArgumentException.class,
                () -> new ParameterSpec("k", ParameterSpec.Type.INTEGER, "5", "neighbours", List.of("1", "3")));
        assertThrows(IllegalArgumentException.class, () -> ParameterSpec.choice("impurity", "gin", "split", "gini", "entropy"),
                "a default that is not a choice");
    }
}
