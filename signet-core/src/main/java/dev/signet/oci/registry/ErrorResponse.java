package dev.signet.oci.registry;

// OCI Distribution Specification v1.1, "Error Codes": {"errors": [{"code", "message", "detail"}]}.

import dev.signet.http.HttpPipeline;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** What a registry's error answer says, turned into a {@link RegistryException}. */
final class ErrorResponse {
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z_]{0,63}");

  private ErrorResponse() {}

  /** The failure a non-successful answer means, with the registry's error code and message. */
  static RegistryException failure(HttpPipeline.Response r, String what, String registry) {
    String code = code(r.body());
    String detail = code == null ? "" : " (" + code + message(r.body()) + ")";
    String message = switch (r.status()) {
      case 401 -> what + ": authentication to " + registry + " failed (HTTP 401" + detail
          + "); check the credentials of the store's authProvider";
      case 403 -> what + ": access denied by " + registry + " (HTTP 403" + detail + ")";
      case 404 -> what + ": not found (HTTP 404" + detail + ")";
      case 429 -> what + ": " + registry + " is throttling requests (HTTP 429) and retries ran out";
      default -> what + ": " + (registry == null ? "the server" : registry) + " answered HTTP "
          + r.status() + detail;
    };
    return new RegistryException(message, r.status(), code);
  }

  /** The first error's code when it looks like one ({@code NAME_UNKNOWN}); else null. */
  static String code(byte[] body) {
    JsonNode first = firstError(body);
    if (first == null) {
      return null;
    }
    JsonNode code = first.get("code");
    return code != null && code.isString() && ERROR_CODE.matcher(code.asString()).matches()
        ? code.asString() : null;
  }

  private static String message(byte[] body) {
    JsonNode first = firstError(body);
    JsonNode msg = first == null ? null : first.get("message");
    if (msg == null || !msg.isString()) {
      return "";
    }
    String text = msg.asString().replaceAll("[\\p{Cntrl}]", " ");
    return ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
  }

  private static JsonNode firstError(byte[] body) {
    if (body == null || body.length == 0 || body[0] != '{') {
      return null;
    }
    try {
      JsonNode root = StrictJson.parseObject(body, HttpPipeline.MAX_ERROR_BODY, "error response");
      JsonNode errors = root.get("errors");
      if (errors != null && errors.isArray() && !errors.isEmpty() && errors.get(0).isObject()) {
        return errors.get(0);
      }
    } catch (JsonFormatException e) {
      return null;
    }
    return null;
  }
}
