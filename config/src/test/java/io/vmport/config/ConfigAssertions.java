package io.vmport.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC BI-3: a refusal names the field, the value given and what is allowed. */
final class ConfigAssertions {
    private ConfigAssertions() {
    }

    /**
     * The refusal names {@code field}, {@code value} ({@code null}: the field is missing) and contains
     * {@code allowedPart} in what it allows, both in its accessors and in its message.
     */
    static void assertRefusal(ConfigException e, String field, String value, String allowedPart) {
        String message = e.getMessage();
        boolean unknownKey = message.contains("' is not a known key;");
        assertAll(message,
                () -> assertEquals(field, e.field()),
                () -> assertEquals(value, e.value()),
                () -> assertTrue(e.allowed().contains(allowedPart), e.allowed()),
                () -> assertTrue(message.contains("'" + field + "'"), "field in message"),
                () -> assertTrue(unknownKey || (value == null ? message.contains("' is missing;")
                        : message.contains("' has value '" + value + "';")), "value in message"),
                () -> assertTrue(message.contains("allowed: ") && message.contains(allowedPart), "allowed in message"));
    }
}
