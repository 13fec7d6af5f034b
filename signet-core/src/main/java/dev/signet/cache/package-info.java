/**
 * Caches of verification decisions, keyed by configuration generation, repository and subject
 * digest (ratify-reference.md §1.7 for Ratify's verify-handler cache).
 */
package dev.signet.cache;
