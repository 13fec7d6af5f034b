package dev.signet.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A compiled JSON Schema (drafts 4, 6, 7, 2019-09 and 2020-12, chosen by the schema's {@code
 * $schema}; draft 7 when it has none). References are resolved inside the document and against the
 * standard meta-schemas only: nothing is fetched while compiling or validating.
 */
public final class JsonSchema {
  /** Larger schema documents are refused. */
  public static final int MAX_SCHEMA_BYTES = 4 * 1024 * 1024;
  /** A report lists at most this many validation errors. */
  public static final int MAX_ERRORS = 20;

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_7, b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));

  private final Schema schema;

  private JsonSchema(Schema schema) {
    this.schema = schema;
  }

  /**
   * Compiles a schema document.
   *
   * @param where names the schema in messages (a file or URL)
   * @throws IllegalArgumentException saying what is wrong
   */
  public static JsonSchema compile(byte[] document, String where) {
    JsonNode node;
    try {
      node = StrictJson.parseObject(document, MAX_SCHEMA_BYTES, "the JSON schema " + where);
    } catch (JsonFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    try {
      Schema schema = REGISTRY.getSchema(node);
      schema.initializeValidators();
      return new JsonSchema(schema);
    } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("the JSON schema " + where + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** The ways the document breaks the schema (at most {@link #MAX_ERRORS}); empty when it conforms. */
  public List<String> validate(JsonNode document) {
    List<Error> errors = schema.validate(document);
    return errors.stream().limit(MAX_ERRORS).map(Error::toString).toList();
  }
}
