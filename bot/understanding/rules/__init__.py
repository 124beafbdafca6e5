"""The decision rules, one module per kind of question; `decide` lists the order they are tried in.

Each rule is a method taking one clause's `Evidence` and returning a `Reading`
or None (it passes).  All stand on `base.RuleBase`: the `Oracle` they may ask
and the `Config` thresholds they decide with.
"""
