package org.facteur.app;

/** The one JVM's entry point; the command line lives in {@link FacteurCommand} once written. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("Facteur: under construction");
    }
}
