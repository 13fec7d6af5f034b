package dev.signet.schema;

import dev.signet.verify.ReferrerFailure;
import dev.signet.artifact.AttachedArtifact;
import dev.signet.verify.ConfiguredVerifier;
import dev.signet.verify.Referrer;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerifierReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Ratify's {@code schemavalidator}: every layer of the attached artifact must be JSON that conforms
 * to the schema configured for the layer's media type ({@code schemas}); a layer of a media type
 * without a schema fails.
 */
public final class SchemaValidatorVerifier extends ConfiguredVerifier {
  public static final String TYPE = "schemavalidator";
  /** Larger documents are refused unread. */
  public static final int MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

  private final Map<String, SchemaSource> schemas;

  /** @param schemas the schema for each layer media type */
  public SchemaValidatorVerifier(
      String name, Set<String> artifactTypes, Set<String> nestedReferences, Map<String, SchemaSource> schemas) {
    super(name, TYPE, artifactTypes, nestedReferences);
    this.schemas = Map.copyOf(schemas);
  }

  @Override
  protected VerifierReport judge(Referrer reports, Deadline deadline)
      throws ReferrerFailure, DeadlineExceededException {
    AttachedArtifact artifact = AttachedArtifact.fetch(reports, MAX_DOCUMENT_BYTES, deadline);
    for (AttachedArtifact.Layer layer : artifact.layers()) {
      Descriptor d = layer.descriptor();
      String at = "layer " + d.digest() + " (" + d.mediaType() + ")";
      SchemaSource source = schemas.get(d.mediaType());
      if (source == null) {
        return reports.failure("schema validation failed: media type not configured",
            at + ": no schema is configured for media type \"" + d.mediaType() + "\"",
            "Add the media type to the verifier's schemas.", Map.of());
      }
      JsonSchema schema;
      try {
        schema = source.schema(deadline);
      } catch (SchemaUnavailableException e) {
        // The schema could not be fetched this time: nothing was judged, so nothing is kept.
        return reports.failure(FailureKind.TRANSIENT, ErrorCode.VERIFY_REFERENCE_FAILURE,
            "schema validation failed: the schema is unavailable", e.getMessage(),
            "Check that the schema URL is reachable, or configure the schema as a file.", Map.of());
      }
      JsonNode document;
      try {
        document = StrictJson.parse(layer.content(), MAX_DOCUMENT_BYTES, at);
      } catch (JsonFormatException e) {
        return reports.failure("schema validation failed: the document is not JSON", e.getMessage(),
            "Attach a JSON document of the configured media type.", Map.of());
      }
      List<String> errors = schema.validate(document);
      deadline.check("schema validation");
      if (!errors.isEmpty()) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("mediaType", d.mediaType());
        extensions.put("schemaErrors", errors);
        return reports.failure("schema validation failed for digest:[" + d.digest() + "],media type:["
                + d.mediaType() + "]",
            at + " does not conform to its schema: " + String.join("; ", errors.subList(0, Math.min(3, errors.size()))),
            "Attach a document that conforms to the schema, or configure the right schema.", extensions);
      }
    }
    return reports.success("schema validation passed for configured media types", Map.of());
  }
}
