import { modelNotFound } from '../errors.js';
import { json } from '../http.js';
import type { Route } from '../router.js';
import { MODEL_IDS, modelObject } from '../models.js';

export const modelRoutes: Route[] = [
  { method: 'GET', path: '/models', op: 'models.list', handle: () => json({ object: 'list', data: MODEL_IDS.map(modelObject) }) },
  {
    method: 'GET',
    path: '/models/:model',
    op: 'models.retrieve',
    handle: (_, { model }) => {
      if (!MODEL_IDS.includes(model)) throw modelNotFound(model);
      return json(modelObject(model));
    },
  },
];
