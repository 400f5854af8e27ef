"""The op registry: Bundle.ML op name -> module class. A new op is one module and one line here."""

from bundles.ops.aft_survival_regression import AFTSurvivalRegression
from bundles.ops.base import Op
from bundles.ops.binarizer import Binarizer
from bundles.ops.bisecting_k_means import BisectingKMeans
from bundles.ops.bucketed_random_projection_lsh import BucketedRandomProjectionLSH
from bundles.ops.bucketizer import Bucketizer
from bundles.ops.chi_sq_selector import ChiSqSelector
from bundles.ops.count_vectorizer import CountVectorizer
from bundles.ops.dct import DCT
from bundles.ops.decision_tree_classifier import DecisionTreeClassifier
from bundles.ops.decision_tree_regression import DecisionTreeRegression
from bundles.ops.elementwise_product import ElementwiseProduct
from bundles.ops.feature_hasher import FeatureHasher
from bundles.ops.gaussian_mixture import GaussianMixture
from bundles.ops.gbt_classifier import GBTClassifier
from bundles.ops.gbt_regression import GBTRegression
from bundles.ops.generalized_linear_regression import GeneralizedLinearRegression
from bundles.ops.hashing_term_frequency import HashingTermFrequency
from bundles.ops.idf import IDF
from bundles.ops.imputer import Imputer
from bundles.ops.interaction import Interaction
from bundles.ops.isotonic_regression import IsotonicRegression
from bundles.ops.k_means import KMeans
from bundles.ops.linear_regression import LinearRegression
from bundles.ops.linear_svc import LinearSVC
from bundles.ops.logistic_regression import LogisticRegression
from bundles.ops.map_entry_selector import MapEntrySelector
from bundles.ops.math_binary import MathBinary
from bundles.ops.math_unary import MathUnary
from bundles.ops.max_abs_scaler import MaxAbsScaler
from bundles.ops.min_hash_lsh import MinHashLSH
from bundles.ops.min_max_scaler import MinMaxScaler
from bundles.ops.multi_layer_perceptron_classifier import MultiLayerPerceptronClassifier
from bundles.ops.multinomial_labeler import MultinomialLabeler
from bundles.ops.naive_bayes import NaiveBayes
from bundles.ops.ngram import NGram
from bundles.ops.normalizer import Normalizer
from bundles.ops.one_hot_encoder import OneHotEncoder
from bundles.ops.one_vs_rest import OneVsRest
from bundles.ops.pca import PCA
from bundles.ops.pipeline import Pipeline
from bundles.ops.polynomial_expansion import PolynomialExpansion
from bundles.ops.random_forest_classifier import RandomForestClassifier
from bundles.ops.random_forest_regression import RandomForestRegression
from bundles.ops.regex_tokenizer import RegexTokenizer
from bundles.ops.reverse_string_indexer import ReverseStringIndexer
from bundles.ops.sklearn_binarizer import SklearnBinarizer
from bundles.ops.sparse_vector_assembler import SparseVectorAssembler
from bundles.ops.standard_scaler import StandardScaler
from bundles.ops.stopwords_remover import StopWordsRemover
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.string_map import StringMap
from bundles.ops.support_vector_machine import SupportVectorMachine
from bundles.ops.target_encoder import TargetEncoder
from bundles.ops.tokenizer import Tokenizer
from bundles.ops.vector_assembler import VectorAssembler
from bundles.ops.vector_indexer import VectorIndexer
from bundles.ops.vector_slicer import VectorSlicer
from bundles.ops.word_filter import WordFilter
from bundles.ops.word_to_vector import WordToVector
from bundles.ops.xgboost_classifier import XGBoostClassifier
from bundles.ops.xgboost_regression import XGBoostRegression

OPS: dict[str, type[Op]] = {
    op.op_name: op
    for op in (
        Pipeline,
        StringIndexer,
        OneHotEncoder,
        VectorAssembler,
        SparseVectorAssembler,
        StandardScaler,
        MinMaxScaler,
        MaxAbsScaler,
        Bucketizer,
        Imputer,
        Normalizer,
        Binarizer,
        SklearnBinarizer,
        DecisionTreeRegression,
        RandomForestRegression,
        GBTRegression,
        DecisionTreeClassifier,
        RandomForestClassifier,
        GBTClassifier,
        XGBoostRegression,
        XGBoostClassifier,
        LogisticRegression,
        Tokenizer,
        RegexTokenizer,
        StopWordsRemover,
        NGram,
        HashingTermFrequency,
        CountVectorizer,
        IDF,
        WordToVector,
        FeatureHasher,
        ReverseStringIndexer,
        StringMap,
        WordFilter,
        PCA,
        Interaction,
        PolynomialExpansion,
        DCT,
        ElementwiseProduct,
        VectorIndexer,
        VectorSlicer,
        ChiSqSelector,
        BucketedRandomProjectionLSH,
        MinHashLSH,
        MathUnary,
        MathBinary,
        MultinomialLabeler,
        MapEntrySelector,
        AFTSurvivalRegression,
        GeneralizedLinearRegression,
        IsotonicRegression,
        LinearRegression,
        LinearSVC,
        SupportVectorMachine,
        BisectingKMeans,
        GaussianMixture,
        KMeans,
        MultiLayerPerceptronClassifier,
        NaiveBayes,
        OneVsRest,
        TargetEncoder,
    )
}

SPARK_CLASSES: dict[str, type[Op]] = {name: op for op in OPS.values() for name in op.spark_classes}

