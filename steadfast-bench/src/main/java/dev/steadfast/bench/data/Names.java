package dev.steadfast.bench.data;

import java.util.List;

/** Name pools for patients and physicians; about one family name in eight is not ASCII. */
final class Names {
    static final List<String> FAMILY = List.of(
            "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
            "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN",
            "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON",
            "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES",
            "GREEN", "ADAMS", "NELSON", "BAKER", "HALL", "RIVERA", "CAMPBELL", "MITCHELL", "CARTER", "ROBERTS",
            "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "MEYER", "WAGNER", "BECKER", "DUBOIS", "LAURENT", "BERNARD",
            "ROSSI", "RUSSO", "FERRARI", "JANSEN", "DE VRIES", "NOVAK", "KOWALSKI", "NIELSEN", "HANSEN", "JOHANSSON",
            "MÜLLER", "GÖTZE", "ØVERBY", "NÚÑEZ", "FRANÇOIS", "ÅSTRÖM", "ŁUKASZEWICZ", "DVOŘÁK", "SØRENSEN", "O'BRIEN");
    static final List<String> GIVEN = List.of(
            "JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH",
            "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH", "CHARLES", "KAREN",
            "ANNA", "PETER", "MARIA", "HANS", "SOFIA", "LUCAS", "EMMA", "NOAH", "OLIVIA", "LIAM",
            "JOSÉ", "FRANÇOISE", "BJÖRN", "ZOË", "RENÉE", "JÜRGEN", "SØREN", "MAŁGORZATA", "ÉMILE", "INÊS");
    /** The first this many given names are ASCII. */
    static final int ASCII_GIVEN = 30;
    static final List<String> PHYSICIANS = List.of(
            "HOUSE^GREGORY", "GREY^MEREDITH", "WHO^", "QUINN^MICHAELA", "KILDARE^JAMES", "ROSS^DOUG", "ZHIVAGO^YURI", "");
    static final List<String> INSTITUTIONS = List.of(
            "ST MARY HOSPITAL", "GENERAL HOSPITAL", "UNIVERSITY CLINIC", "COUNTY IMAGING CENTER", "CHILDREN'S HOSPITAL");

    private Names() {}

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}
