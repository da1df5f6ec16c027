"""Stepping and the lecture's table: immutable snapshots, the forward and reverse steppers, closed
forms, the table and its exports, the lecture's example graphs and the student's problem."""
