"""Tests of mmx.render."""
