package dev.moe.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportWriterJsonTest {

    /** A report's shapes: a primitive figure, a list of them per repeat, a map of them by name. */
    record Figures(double loss, List<Double> validationLoss, Map<String, Double> temperatures) { }

    @Test
    void aFigureWithoutAValueIsNullNotTheStringNaN() throws Exception {
        // Was "validationLoss" : [ "NaN", "NaN" ] in every report without early stopping: strings among numbers.
        JsonNode json = new ObjectMapper().readTree(ReportWriter.json(new Figures(Double.POSITIVE_INFINITY,
                List.of(Double.NaN, 0.25), Map.of("mlp", Double.NEGATIVE_INFINITY))));
        assertTrue(json.get("loss").isNull(), json.toString());
        assertTrue(json.get("validationLoss").get(0).isNull(), json.toString());
        assertTrue(json.get("validationLoss").get(1).isNumber(), json.toString());
        assertEquals(0.25, json.get("validationLoss").get(1).asDouble());
        assertTrue(json.get("temperatures").get("mlp").isNull(), json.toString());
        assertEquals(0.5, new ObjectMapper().readTree(ReportWriter.json(new Figures(0.5, List.of(), Map.of()))).get("loss").asDouble());
    }
}
