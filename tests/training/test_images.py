"""Image URIs of the SageMaker built-in containers, per region and version."""

from __future__ import annotations

import pytest

from base.images import image_uri


def test_xgboost_and_sparkml_share_the_regional_framework_account():
    assert image_uri("xgboost", "us-west-2", "1.7-1") == \
        "246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1"
    assert image_uri("sparkml-serving", "us-west-2", "3.3") == \
        "246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-sparkml-serving:3.3"


def test_default_versions():
    assert image_uri("xgboost", "us-east-1").endswith("/sagemaker-xgboost:1.7-1")
    assert image_uri("sparkml-serving", "us-east-1").endswith("/sagemaker-sparkml-serving:3.3")


def test_china_regions_use_the_cn_domain():
    assert image_uri("xgboost", "cn-north-1", "1.7-1") == \
        "450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1"


@pytest.mark.parametrize(("args", "message"), [
    (("xgboost", "mars-north-1", "1.7-1"), "region 'mars-north-1'"),
    (("xgboost", "us-east-1", "1.0-1"), "'1.0-1' is not supported"),
    (("sparkml-serving", "ap-northeast-3", "3.3"), "no sparkml-serving image .* 'ap-northeast-3'"),
    (("pytorch", "us-east-1", "2.0"), "unknown framework 'pytorch'"),
])
def test_unknown_inputs_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        image_uri(*args)
