package dev.signet.notation.envelope;

/**
 * A protected-header attribute that is not one of the Notary-defined ones. {@code value} is the
 * decoded JSON or CBOR value (String, Long, Boolean, List, Map, byte[]); {@code critical} says
 * whether it is listed in {@code crit}.
 */
public record ExtendedAttribute(String key, Object value, boolean critical) {}
