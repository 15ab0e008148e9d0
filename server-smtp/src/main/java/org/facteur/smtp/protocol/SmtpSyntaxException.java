package org.facteur.smtp.protocol;

/** Input the parser refuses, with the reply that tells the client why. */
public class SmtpSyntaxException extends Exception {

    private final Reply reply;

    public SmtpSyntaxException(int code, String enhancedCode, String text) {
        super(text);
        this.reply = Reply.of(code, enhancedCode, text);
    }

    public Reply reply() {
        return reply;
    }
}
