package org.facteur.storage;

/** APPENDUID (RFC 4315 §3), and what a delivery stored. */
public record AppendResult(String mailbox, long uidValidity, long uid, long size) {
}
