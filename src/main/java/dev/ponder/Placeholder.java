package dev.ponder;
class Placeholder {}
