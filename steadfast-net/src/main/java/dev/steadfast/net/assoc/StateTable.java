package dev.steadfast.net.assoc;

import static dev.steadfast.net.assoc.Action.*;
import static dev.steadfast.net.assoc.State.*;

import java.util.EnumMap;
import java.util.Map;

/**
 * The state transition table of PS3.8 table 9-10, as data. {@link #transition} is a pure function;
 * {@link Association} performs the actions. Empty cells of the table (local primitives that are
 * not allowed in a state, PDUs in Sta1/Sta4) return null.
 */
public final class StateTable {
    /** One cell: the action to perform and the state it leads to. AR-8's next state depends on the role. */
    public record Transition(Action action, State next) {
    }

    private static final Map<Event, Map<State, Transition>> TABLE = new EnumMap<>(Event.class);

    private static void cell(Event e, State s, Action a, State next) {
        TABLE.computeIfAbsent(e, k -> new EnumMap<>(State.class)).put(s, new Transition(a, next));
    }

    /** Events for PDUs that are out of place everywhere except where listed: AA-1 in Sta2, AA-8 in Sta3, Sta5..Sta12, AA-6 in Sta13. */
    private static void unexpectedPdu(Event e) {
        cell(e, Sta2, AA_1, Sta13);
        cell(e, Sta3, AA_8, Sta13);
        for (State s : new State[] {Sta5, Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12}) {
            cell(e, s, AA_8, Sta13);
        }
        cell(e, Sta13, AA_6, Sta13);
    }

    static {
        cell(Event.Evt1, Sta1, AE_1, Sta4);
        cell(Event.Evt2, Sta4, AE_2, Sta5);

        unexpectedPdu(Event.Evt3);
        cell(Event.Evt3, Sta5, AE_3, Sta6);

        unexpectedPdu(Event.Evt4);
        cell(Event.Evt4, Sta5, AE_4, Sta1);

        cell(Event.Evt5, Sta1, AE_5, Sta2);

        unexpectedPdu(Event.Evt6);
        cell(Event.Evt6, Sta2, AE_6, Sta3); // or Sta13 when the provider rejects: see Association
        cell(Event.Evt6, Sta13, AA_7, Sta13);

        cell(Event.Evt7, Sta3, AE_7, Sta6);
        cell(Event.Evt8, Sta3, AE_8, Sta13);

        cell(Event.Evt9, Sta6, DT_1, Sta6);
        cell(Event.Evt9, Sta8, AR_7, Sta8);

        unexpectedPdu(Event.Evt10);
        cell(Event.Evt10, Sta6, DT_2, Sta6);
        cell(Event.Evt10, Sta7, AR_6, Sta7);

        cell(Event.Evt11, Sta6, AR_1, Sta7);

        unexpectedPdu(Event.Evt12);
        cell(Event.Evt12, Sta6, AR_2, Sta8);
        cell(Event.Evt12, Sta7, AR_8, Sta9); // Sta9 for the association-requestor, Sta10 for the acceptor

        unexpectedPdu(Event.Evt13);
        cell(Event.Evt13, Sta7, AR_3, Sta1);
        cell(Event.Evt13, Sta10, AR_10, Sta12);
        cell(Event.Evt13, Sta11, AR_3, Sta1);

        cell(Event.Evt14, Sta8, AR_4, Sta13);
        cell(Event.Evt14, Sta9, AR_9, Sta11);
        cell(Event.Evt14, Sta12, AR_4, Sta13);

        cell(Event.Evt15, Sta3, AA_1, Sta13);
        cell(Event.Evt15, Sta4, AA_2, Sta1);
        for (State s : new State[] {Sta5, Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12}) {
            cell(Event.Evt15, s, AA_1, Sta13);
        }

        cell(Event.Evt16, Sta2, AA_2, Sta1);
        for (State s : new State[] {Sta3, Sta5, Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12}) {
            cell(Event.Evt16, s, AA_3, Sta1);
        }
        cell(Event.Evt16, Sta13, AA_2, Sta1);

        cell(Event.Evt17, Sta2, AA_5, Sta1);
        for (State s : new State[] {Sta3, Sta4, Sta5, Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12}) {
            cell(Event.Evt17, s, AA_4, Sta1);
        }
        cell(Event.Evt17, Sta13, AR_5, Sta1);

        cell(Event.Evt18, Sta2, AA_2, Sta1);
        cell(Event.Evt18, Sta13, AA_2, Sta1);

        unexpectedPdu(Event.Evt19);
        cell(Event.Evt19, Sta13, AA_7, Sta13);
    }

    private StateTable() {
    }

    /**
     * The cell for {@code event} in {@code state}, resolving AR-8 by role; null for an empty cell.
     *
     * @param requestor whether the local side is the association-requestor
     */
    public static Transition transition(State state, Event event, boolean requestor) {
        Map<State, Transition> row = TABLE.get(event);
        Transition t = row == null ? null : row.get(state);
        if (t != null && t.action() == AR_8 && !requestor) {
            return new Transition(AR_8, Sta10);
        }
        return t;
    }
}
