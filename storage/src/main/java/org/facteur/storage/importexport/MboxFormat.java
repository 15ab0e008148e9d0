package org.facteur.storage.importexport;

/**
 * The mbox variants (as catalogued by qmail's mbox(5) and RFC 4155): how a body line starting with "From " was
 * protected and how a message's end is found.
 */
public enum MboxFormat {
    /** ">From " was written for "From "; one level of '>' is removed from ">From " lines on reading. */
    MBOXO,
    /** Every line matching {@code ^>*From } got one more '>'; one is removed from each on reading (lossless). */
    MBOXRD,
    /** The end of the body is given by a Content-Length header (mboxcl2): nothing is quoted. */
    MBOXCL
}
