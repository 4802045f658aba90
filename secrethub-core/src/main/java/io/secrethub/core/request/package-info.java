/**
 * The path every API call takes: sealed check, authentication, validation, authorization, the
 * operation itself, and its audit record, in that order. Internal: not part of the public API.
 */
package io.secrethub.core.request;
