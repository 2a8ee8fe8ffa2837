import { defineFeatureSuite } from '../src/runner/suite.js';

defineFeatureSuite('errors');
