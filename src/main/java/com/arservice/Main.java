package com.arservice;

public final class Main {
  public static void main(String[] args) {
    System.out.println("ar-service");
  }
}
