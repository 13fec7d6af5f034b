package dev.signet.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonFieldsTest {
  private static JsonNode doc() throws JsonFormatException {
    byte[] json = "{\"a\":[1],\"s\":\"x\",\"n\":null,\"o\":{}}".getBytes(StandardCharsets.UTF_8);
    return StrictJson.parseObject(json, 1024, "test");
  }

  @Test
  void absentOrNullFieldsReadAsEmptyArrayAndNullString() throws Exception {
    JsonNode doc = doc();

    assertThat(JsonFields.optionalArray(doc, "a", "a", IllegalStateException::new)).hasSize(1);
    assertThat(JsonFields.optionalArray(doc, "missing", "m", IllegalStateException::new)).isEmpty();
    assertThat(JsonFields.optionalArray(doc, "n", "n", IllegalStateException::new)).isEmpty();
    assertThat(JsonFields.optionalString(doc, "s", "s", IllegalStateException::new)).isEqualTo("x");
    assertThat(JsonFields.optionalString(doc, "n", "n", IllegalStateException::new)).isNull();
    assertThat(JsonFields.object(doc.get("o"), "o", IllegalStateException::new)).isEmpty();
  }

  @Test
  void wrongTypesThrowTheCallersExceptionNamingThePlace() throws Exception {
    JsonNode doc = doc();

    assertThatThrownBy(() -> JsonFields.optionalArray(doc, "s", "doc.s", JsonFormatException::new))
        .isInstanceOf(JsonFormatException.class)
        .hasMessage("doc.s must be an array");
    assertThatThrownBy(() -> JsonFields.optionalString(doc, "a", "doc.a", JsonFormatException::new))
        .isInstanceOf(JsonFormatException.class)
        .hasMessage("doc.a must be a string");
    assertThatThrownBy(() -> JsonFields.object(doc.get("a"), "doc.a", JsonFormatException::new))
        .isInstanceOf(JsonFormatException.class)
        .hasMessage("doc.a must be an object");
    assertThatThrownBy(() -> JsonFields.object(null, "doc.x", JsonFormatException::new))
        .hasMessage("doc.x must be an object");
  }
}
