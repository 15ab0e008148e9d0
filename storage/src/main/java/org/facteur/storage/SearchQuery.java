package org.facteur.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A search, shared by IMAP SEARCH/SORT/THREAD and the webmail's search box. Text terms go to Lucene; flags,
 * dates, sizes and UIDs to the index. IMAP's syntax is translated into this tree by the IMAP module.
 */
public sealed interface SearchQuery {

    /** Where a text term is looked for. BODY and TEXT are decoded text; TEXT includes the headers. */
    enum Field { FROM, TO, CC, BCC, SUBJECT, MESSAGE_ID, BODY, TEXT, ATTACHMENT_NAME }

    record All() implements SearchQuery {
    }

    record And(List<SearchQuery> terms) implements SearchQuery {
        public And {
            terms = List.copyOf(terms);
        }
    }

    record Or(List<SearchQuery> terms) implements SearchQuery {
        public Or {
            terms = List.copyOf(terms);
        }
    }

    record Not(SearchQuery term) implements SearchQuery {
    }

    /** Case-insensitive substring (IMAP) or word match (webmail) of {@code value} in {@code field}. */
    record Text(Field field, String value) implements SearchQuery {
    }

    /** Any header by name (IMAP {@code HEADER name value}); an empty value matches presence. */
    record Header(String name, String value) implements SearchQuery {
    }

    record HasFlag(String flag) implements SearchQuery {
    }

    /** Date comparisons on INTERNALDATE ({@code sent == false}) or the Date header, by day as IMAP does. */
    record Before(LocalDate day, boolean sent) implements SearchQuery {
    }

    record On(LocalDate day, boolean sent) implements SearchQuery {
    }

    record Since(LocalDate day, boolean sent) implements SearchQuery {
    }

    /** RFC 5032 OLDER/YOUNGER, and SAVEDBEFORE/SAVEDSINCE through {@code saved}. */
    record Between(Instant fromInclusive, Instant toExclusive, boolean saved) implements SearchQuery {
    }

    record Larger(long bytes) implements SearchQuery {
    }

    record Smaller(long bytes) implements SearchQuery {
    }

    /** A set of UIDs as ranges (inclusive); {@code Long.MAX_VALUE} stands for {@code *}. */
    record Uids(List<long[]> ranges) implements SearchQuery {
        public Uids {
            ranges = List.copyOf(ranges);
        }
    }

    /** RFC 7162 MODSEQ criterion: messages whose MODSEQ is at least this. */
    record ModSeqAtLeast(long modSeq) implements SearchQuery {
    }
}
