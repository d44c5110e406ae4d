package dev.blueshift.sample.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The JSON body of every error answer: a short message, and field errors for invalid input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(String error, Map<String, String> fields) {
    public static ErrorBody of(String error) {
        return new ErrorBody(error, Map.of());
    }
}
