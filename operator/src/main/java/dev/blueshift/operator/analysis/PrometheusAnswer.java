package dev.blueshift.operator.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blueshift.operator.api.v1alpha1.spec.ThresholdCondition;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.http.HttpResponse;

/**
 * A Prometheus API answer read as a measurement. Scalar and vector results are read; with several
 * series every one must pass and the worst is reported. An empty vector or NaN is no data; a body
 * that is not a Prometheus answer, or a result of another type, is a provider error. Nothing of the
 * body reaches the measurement but numbers, or a sanitized excerpt of Prometheus's error.
 */
final class PrometheusAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusAnswer() {}

    /** Reads the answer. Nothing of its body reaches the measurement but numbers, or a sanitized excerpt of Prometheus's error. */
    static Measurement judge(
            HttpResponse<byte[]> response,
            String query,
            ThresholdCondition condition,
            double threshold,
            String wanted) {
        int code = response.statusCode();
        String notProm = "HTTP " + code + " from Prometheus, not a Prometheus API answer";
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return Measurement.error(wanted, notProm);
        }
        if (body == null || !body.path("status").isTextual()) {
            return Measurement.error(wanted, notProm);
        }
        String status = body.path("status").asText();
        if ("error".equals(status)
                && body.path("errorType").isTextual()
                && body.path("error").isTextual()) {
            return Measurement.error(
                    wanted,
                    "HTTP " + code + " from Prometheus: "
                            + Excerpt.of(body.path("errorType").asText(), 40) + ": "
                            + Excerpt.of(body.path("error").asText(), PrometheusProvider.ERROR_EXCERPT));
        }
        if (code != 200 || !"success".equals(status)) {
            return Measurement.error(wanted, notProm);
        }
        JsonNode data = body.path("data");
        String type = data.path("resultType").asText();
        try {
            return switch (type) {
                case "scalar" -> judge(new double[] {sample(data.path("result"))}, condition, threshold, wanted);
                case "vector" -> {
                    JsonNode result = data.path("result");
                    double[] values = new double[result.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = sample(result.get(i).path("value"));
                    }
                    yield values.length == 0
                            ? Measurement.noData(wanted, "empty result for " + query)
                            : judge(values, condition, threshold, wanted);
                }
                default ->
                    Measurement.error(
                            wanted, "result type '" + Excerpt.of(type, 40) + "' is not a scalar or an instant vector");
            };
        } catch (NumberFormatException e) {
            return Measurement.error(
                    wanted, "HTTP " + code + " from Prometheus: a sample of the result is not a number");
        }
    }

    private static Measurement judge(double[] values, ThresholdCondition condition, double threshold, String wanted) {
        Double worst = null;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            if (worst == null || condition.worse(v, worst)) {
                worst = v;
            }
        }
        if (worst == null) {
            return Measurement.noData(wanted, "the result is NaN (no traffic?)");
        }
        return condition.passes(worst, threshold)
                ? Measurement.passed(format(worst), wanted)
                : Measurement.failed(format(worst), wanted);
    }

    /** A sample is [time, "value"]; Prometheus writes NaN and ±Inf as strings too. */
    private static double sample(JsonNode pair) {
        String text = pair.path(1).asText("NaN");
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    static String format(double value) {
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value)
                .round(MathContext.DECIMAL32)
                .stripTrailingZeros()
                .toPlainString();
    }
}
