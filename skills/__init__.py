"""The skills bundled with skillrt: one folder each, holding its SKILL.md."""
