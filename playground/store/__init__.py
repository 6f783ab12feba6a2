"""Drafts, submissions and progress of each learner."""
