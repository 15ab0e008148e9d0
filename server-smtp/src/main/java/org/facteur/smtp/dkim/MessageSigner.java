package org.facteur.smtp.dkim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.exceptions.FailException;

/** Signs a message with the domain's DKIM key through Apache James jDKIM (RFC 6376, rsa-sha256, relaxed/relaxed). */
public final class MessageSigner {

    /** Headers signed (RFC 6376 §5.4.1's recommended set); From is the one that must be there. */
    static final String SIGNED_HEADERS = "from:to:cc:subject:date:message-id:reply-to:in-reply-to:references"
            + ":mime-version:content-type:content-transfer-encoding";

    private final DkimKeys keys;

    public MessageSigner(DkimKeys keys) {
        this.keys = keys;
    }

    /** The {@code DKIM-Signature: ...} header line (CRLF-terminated) to put on top of the message. */
    public String signatureHeader(Path message, String domain, String selector) throws IOException {
        String template = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector
                + "; h=" + SIGNED_HEADERS + "; bh=; b=;";
        DKIMSigner signer = new DKIMSigner(template, keys.privateKey(domain, selector));
        // jDKIM (Mime4J underneath) reads its input a byte at a time: unbuffered, that was one read(2) per byte
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 16 * 1024)) {
            String header = signer.sign(in);
            return header.endsWith("\r\n") ? header : header + "\r\n";
        } catch (FailException e) {
            throw new IOException("DKIM signing failed for " + domain + ": " + e.getMessage(), e);
        }
    }
}
