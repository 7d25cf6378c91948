"""Graded notebooks: from an assignment file to grades in the LMS, never running student code.

The assignment and its variants:
``assignment``       the assignment file (exercises, points, feedback policies), validated
``variants``         per-student variants from the instructor's secret; tokens and bindings
``roster``           the class list (CSV), with LMS ids
``release``          one notebook per student (public data, policy, sealed spec; no key)

Grading, one module per step (``batch`` runs them over a class):
``submissions``      what the LMS hands over: folders, zips, file names (Canvas, Moodle)
``reading``          steps 1-3: bytes -> notebook -> release metadata -> answer records
``identity``         step 4: who handed a file in
``release_checks``   step 5: the instructor secret and the release binding
``scoring``          step 6, per exercise: the record that counts, its score
``assess``           step 6, per submission: named steps to a status and its reason
``resolve``          step 7: one counted submission per student
``batch``            ``grade`` and ``regrade``: the steps over a class, kept in the gradebook
``gradebook``        the SQLite gradebook; it maps its rows back to the grader's objects

After grading:
``export``           wide/long CSV, Canvas, Moodle, Gradescope results.json, feedback pages
``cli``              the verbs release, grade, regrade, export, report, mark
"""
