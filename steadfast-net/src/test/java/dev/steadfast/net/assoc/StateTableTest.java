package dev.steadfast.net.assoc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** PS3.8 table 9-10, cell by cell: each row is "event, then for Sta1..Sta13 the action and next state" ('-' = empty cell). */
class StateTableTest {
    private static final String[] TABLE = {
        // event  Sta1         Sta2          Sta3         Sta4         Sta5          Sta6          Sta7          Sta8          Sta9          Sta10         Sta11         Sta12         Sta13
        "Evt1     AE-1:4       -             -            -            -             -             -             -             -             -             -             -             -",
        "Evt2     -            -             -            AE-2:5       -             -             -             -             -             -             -             -             -",
        "Evt3     -            AA-1:13       AA-8:13      -            AE-3:6        AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-6:13",
        "Evt4     -            AA-1:13       AA-8:13      -            AE-4:1        AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-6:13",
        "Evt5     AE-5:2       -             -            -            -             -             -             -             -             -             -             -             -",
        "Evt6     -            AE-6:3        AA-8:13      -            AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-7:13",
        "Evt7     -            -             AE-7:6       -            -             -             -             -             -             -             -             -             -",
        "Evt8     -            -             AE-8:13      -            -             -             -             -             -             -             -             -             -",
        "Evt9     -            -             -            -            -             DT-1:6        -             AR-7:8        -             -             -             -             -",
        "Evt10    -            AA-1:13       AA-8:13      -            AA-8:13       DT-2:6        AR-6:7        AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-6:13",
        "Evt11    -            -             -            -            -             AR-1:7        -             -             -             -             -             -             -",
        "Evt12    -            AA-1:13       AA-8:13      -            AA-8:13       AR-2:8        AR-8:9        AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-6:13",
        "Evt13    -            AA-1:13       AA-8:13      -            AA-8:13       AA-8:13       AR-3:1        AA-8:13       AA-8:13       AR-10:12      AR-3:1        AA-8:13       AA-6:13",
        "Evt14    -            -             -            -            -             -             -             AR-4:13       AR-9:11       -             -             AR-4:13       -",
        "Evt15    -            -             AA-1:13      AA-2:1       AA-1:13       AA-1:13       AA-1:13       AA-1:13       AA-1:13       AA-1:13       AA-1:13       AA-1:13       -",
        "Evt16    -            AA-2:1        AA-3:1       -            AA-3:1        AA-3:1        AA-3:1        AA-3:1        AA-3:1        AA-3:1        AA-3:1        AA-3:1        AA-2:1",
        "Evt17    -            AA-5:1        AA-4:1       AA-4:1       AA-4:1        AA-4:1        AA-4:1        AA-4:1        AA-4:1        AA-4:1        AA-4:1        AA-4:1        AR-5:1",
        "Evt18    -            AA-2:1        -            -            -             -             -             -             -             -             -             -             AA-2:1",
        "Evt19    -            AA-1:13       AA-8:13      -            AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-8:13       AA-7:13",
    };

    record Cell(Event event, State state, String expected) {
        @Override
        public String toString() {
            return event + " in " + state + " -> " + expected;
        }
    }

    static List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (String row : TABLE) {
            String[] f = row.trim().split("\\s+");
            for (int i = 1; i < f.length; i++) {
                out.add(new Cell(Event.valueOf(f[0]), State.values()[i - 1], f[i]));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void cellMatchesTheStandard(Cell c) {
        StateTable.Transition t = StateTable.transition(c.state(), c.event(), true);
        String actual = t == null ? "-" : t.action() + ":" + t.next().name().substring(3);
        assertThat(actual).isEqualTo(c.expected());
    }

    @Test
    void everyCellIsListed() {
        assertThat(cells()).hasSize(Event.values().length * State.values().length);
    }

    @Test
    void releaseCollisionLeadsTheAcceptorToSta10() {
        assertThat(StateTable.transition(State.Sta7, Event.Evt12, false).next()).isEqualTo(State.Sta10);
        assertThat(StateTable.transition(State.Sta7, Event.Evt12, true).next()).isEqualTo(State.Sta9);
    }
}
