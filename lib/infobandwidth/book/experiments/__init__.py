"""The chapters' experiments: the instances, settings and runs a chapter and its claim checks share,
one module per chapter (named like the chapter file).
"""
