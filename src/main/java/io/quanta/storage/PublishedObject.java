package io.quanta.storage;

/** An output as it was stored: where, how many bytes, and the sha256 (lower-case hex) of exactly those bytes. */
public record PublishedObject(String location, long size, String sha256) {}
